"""thg-sandbox: a local emulator of the THG Connect Integration Platform."""
