"""Objectors' name, contact and unit name: SM4-encrypted at rest (``EncryptedCharField``).

``AlterField`` only changes the column's type (to text: a token is longer than the
plaintext); the rows keep their plaintext, which ``EncryptedCharField`` refuses to load
(``DecryptionError``). So each plaintext value is rewritten as a token
(``encrypt_objectors``). Backwards, the tokens are decrypted to plaintext before the
columns become varchar again (a token does not fit in 60 characters).

Neither step touches a key when there is nothing to convert (a new installation): loading
the data key asks the keyring whether any encrypted column in any app depends on it, and
in a fresh database those tables may not exist yet.
"""

import icdc.lib.fields
from django.db import migrations, models
from django.db.models.functions import Cast

FIELDS = ("name", "unit_name", "contact")
TOKEN = "sm4gcm:"  # icdc.lib.sm4.PREFIX, frozen here as the migration must not change with the code


def _raw(manager, name):
    return manager.annotate(icdc_raw=Cast(name, models.TextField()))


def encrypt_objectors(apps, schema_editor):
    """Rewrite each plaintext value as an SM4 token: ``update()`` writes through the field,
    which encrypts. Compare and swap on the raw value; tokens already there are left alone."""
    Objection = apps.get_model("decisions", "Objection")
    manager = Objection._base_manager.using(schema_editor.connection.alias)
    for name in FIELDS:
        plain = (_raw(manager, name).exclude(icdc_raw__isnull=True).exclude(icdc_raw="")
                 .exclude(icdc_raw__startswith=TOKEN).order_by("pk").values_list("pk", "icdc_raw"))
        for pk, value in plain:
            _raw(manager, name).filter(pk=pk, icdc_raw=value).update(**{name: value})


def decrypt_objectors(apps, schema_editor):
    """Back to plaintext (a ``Value`` expression is written as it is, not through the field)."""
    from icdc.lib import sm4

    Objection = apps.get_model("decisions", "Objection")
    manager = Objection._base_manager.using(schema_editor.connection.alias)
    for name in FIELDS:
        context = Objection._meta.get_field(name).context
        sealed = _raw(manager, name).filter(icdc_raw__startswith=TOKEN).order_by("pk").values_list("pk", "icdc_raw")
        for pk, token in sealed:
            plain = sm4.decrypt(token, context=context)
            manager.filter(pk=pk).update(**{name: models.Value(plain, output_field=models.TextField())})
    # PostgreSQL queues the deferred foreign-key checks of the updated rows, and refuses to alter
    # the table (the next operation, in this transaction) while they are pending: run them now.
    schema_editor.connection.check_constraints(table_names=[Objection._meta.db_table])


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0005_initial'),
        # Sealing loads the data key: the keyring records its fingerprint and, to tell a first
        # set-up from a lost key, looks for audit records and every encrypted column.
        ('keyring', '0001_key_fingerprints'),
        ('audit', '0005_signed_json_text'),
        ('accounts', '0004_account_sessions'),
        ('review', '0005_siteinspection_siteinspectionfile'),
    ]

    operations = [
        migrations.AlterField(
            model_name='objection',
            name='contact',
            field=icdc.lib.fields.EncryptedCharField(max_length=120, verbose_name='联系方式'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='name',
            field=icdc.lib.fields.EncryptedCharField(max_length=60, verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='unit_name',
            field=icdc.lib.fields.EncryptedCharField(blank=True, max_length=120, verbose_name='单位名称'),
        ),
        migrations.RunPython(encrypt_objectors, decrypt_objectors, elidable=False),
    ]
