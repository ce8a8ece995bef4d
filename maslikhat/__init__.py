"""The district maslikhat's vote on a draft budget: its rules, sessions, members and ballots."""
