"""The freshness stamps (core/freshness.py): one row per scope with the newest log
position that changed it. Plain SQL with no model state: the table is read and written
by upserts only, so nothing in the ORM has to know it."""

from django.db import migrations

CREATE = """
CREATE TABLE core_freshness_stamp (
    scope varchar(250) NOT NULL PRIMARY KEY,
    position bigint NOT NULL,
    changed_at bigint NOT NULL,
    leaf varchar(64) NOT NULL DEFAULT '',
    grp varchar(250) NOT NULL DEFAULT ''
)
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0004_contenttranslation")]

    operations = [
        migrations.RunSQL(CREATE, "DROP TABLE core_freshness_stamp"),
    ]
