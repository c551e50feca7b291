"""Reports for funders: monthly counts kept as things happen, shown with small numbers hidden."""
