// populated by the stats facade
