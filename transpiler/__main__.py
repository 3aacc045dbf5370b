from k1port.cli import main

raise SystemExit(main())
