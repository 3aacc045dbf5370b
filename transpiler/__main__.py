from k1port.cli import main

main()
