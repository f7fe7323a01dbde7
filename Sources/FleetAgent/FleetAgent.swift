// FleetAgent
