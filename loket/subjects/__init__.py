"""What the office holds about one person, across every flow (UU 27/2022 Pasal 32: access and a
copy; the record of who read it), and how long it keeps it (Pasal 42-44: retention). It reads and
anonymises the records of every flow, so it sits above them, beside the leadership's desk; the
requests, breaches and access records themselves are loket.privacy's."""
