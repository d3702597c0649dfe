"""Constants shared by the stop and vehicle form tests."""

BALOKANG = "32.79.01.2003"
