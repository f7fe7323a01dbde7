// FleetEmbedded
