"""Writing aggregate rows that this transaction read and locked: shared by the lesson, module and attempt
aggregates (progress/services.py, progress/attempts.py)."""


def rows_update(model, rows, *, unique_fields: list[str], fields: list[str]) -> None:
    """Write `fields` of rows read (and locked) in this transaction, in one statement.

    An upsert on the rows' own unique constraint (INSERT ... ON CONFLICT (user, key) DO UPDATE SET each
    field), since every row exists, updates them all. It replaces `bulk_update`, whose CASE WHEN per row and
    field cost more Python than the rest of a batch's aggregates together (bench/README.md).
    """
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=unique_fields, update_fields=fields)
