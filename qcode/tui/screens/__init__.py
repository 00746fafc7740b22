"""Full screens of the app: transcripts, coding, codebook browser, help."""
