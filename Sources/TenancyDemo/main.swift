print("tenancy-demo: coming soon")
