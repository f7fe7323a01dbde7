// FleetHub
