"""Pure domain model: people, products, amounts, scales and journal entries."""
