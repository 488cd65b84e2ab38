from backprop.cli import main

raise SystemExit(main())
