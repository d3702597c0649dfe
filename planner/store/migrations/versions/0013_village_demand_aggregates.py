"""village demand aggregates: per-village sufficient statistics of answers and logged visits

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:31:00.000000

The data step computes every village's tally with the planner's code. Should that ever fail on
an old database (the code moved on), the table stays empty and the demand pages compute from
the answers until the next import or logged visit refreshes them.
"""

import logging
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: Union[str, None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

logger = logging.getLogger(__name__)


def upgrade() -> None:
    op.create_table(
        "demandaggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("answers_source", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("events_source", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("refreshed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_demandaggregate_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demandaggregate")),
        sa.UniqueConstraint("village_id", name=op.f("uq_demandaggregate_village_id")),
    )
    op.create_index(
        'ix_surveyresponse_village_id_batch_id',
        'surveyresponse',
        ['village_id', 'batch_id'],
        unique=False,
    )
    _fill()


def _fill() -> None:
    from sqlmodel import Session

    from planner.demand import refresh_aggregates

    # The session works in a savepoint of the migration's transaction: a failure undoes the
    # tallies only.
    session = Session(bind=op.get_bind(), join_transaction_mode="create_savepoint")
    try:
        refresh_aggregates(session)
        session.commit()
    except Exception as error:  # noqa: BLE001 - the pages fall back to reading every answer
        session.rollback()
        logger.warning("demand aggregates not computed: %s", error)
    finally:
        session.close()


def downgrade() -> None:
    op.drop_index('ix_surveyresponse_village_id_batch_id', table_name='surveyresponse')
    op.drop_table("demandaggregate")
