// htmx requests carry the session's CSRF token, as the forms do in a hidden field.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrf;
  if (token) event.detail.headers["X-CSRF-Token"] = token;
});

// Review queue: "c" confirms, "r" rejects the pair shown, unless typing in a field.
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey) return;
  const button = document.querySelector(`[data-shortcut="${event.key}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});

// Upload: a file dropped anywhere on the drop zone goes into its file field.
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll(".drop")) {
    const input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      if (event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });
  }
});
