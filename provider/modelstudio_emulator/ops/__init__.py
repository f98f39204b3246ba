"""Operations of each API area over the shared state; no HTTP here."""
