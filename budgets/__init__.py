"""Budget cycles, draft budgets, public discussion, community meetings, maslikhat votes."""
