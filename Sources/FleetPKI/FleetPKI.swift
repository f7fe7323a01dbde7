// FleetPKI
