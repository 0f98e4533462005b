"""The ecosystem: lists resolved to companies, and the graph, reports and rankings built on them."""
