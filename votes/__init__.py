"""The residents' vote on projects (the people's participation budget): its counting rules
(votes.counting), the same for the portal and for anyone recounting a published vote with
`manage.py vote_tally`."""
