"""Runs' outline and each city's slice of the result, so the run pages stop reading the whole
run (issue 12 item 6). Runs stored before get both cut from their stored snapshot and result.

The cutting is frozen here (a copy of ``snapshot.run_outline`` / ``city_details`` as of this
migration) so later changes to the app cannot change what an old migration does.
"""

import json

from django.db import migrations, models


def _outline(document, results):
    return {"track_names": document["track_names"], "parts": [
        {"tracks": part["tracks"], "input_hash": part["input_hash"], "format": result["format"],
         "params": result["params"], "indicators": result["indicators"],
         "leniency_baseline": result["leniency_baseline"]}
        for part, result in zip(document["parts"], results, strict=True)]}


def _details(document, results):
    details = {}
    for part, result in zip(document["parts"], results, strict=True):
        inputs = {(c["city_code"], c["track"]): c for c in part["cities"]}
        leniency = {e["expert_id"]: e for e in result["leniency"]}
        for city in result["cities"]:
            key = (city["city_code"], city["track"])
            city_input = inputs[key]
            details[key] = {
                "result": city, "input": city_input,
                "leniency": [leniency[e] for e in sorted(city_input["expert_scores"], key=str) if e in leniency],
                "sources": document["figure_sources"].get(city["city_code"], {}),
            }
    return details


def backfill(apps, schema_editor):
    ScoringRun = apps.get_model("decisions", "ScoringRun")
    ScoringRunCity = apps.get_model("decisions", "ScoringRunCity")
    for run in ScoringRun.objects.filter(outline={}).iterator(chunk_size=10):
        data = json.loads(run.result_text)
        results = data if isinstance(data, list) else [data]
        # The historical model has no immutability guard: update() touches this column only.
        ScoringRun.objects.filter(pk=run.pk).update(outline=_outline(run.snapshot, results))
        details = _details(run.snapshot, results)
        rows = list(ScoringRunCity.objects.filter(run_id=run.pk).only("id", "city_id", "track"))
        for row in rows:
            row.detail = details[(row.city_id, row.track)]
        ScoringRunCity.objects.bulk_update(rows, ["detail"], batch_size=50)


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scoringrun",
            name="outline",
            field=models.JSONField(default=dict, verbose_name="运行概要"),
        ),
        migrations.AddField(
            model_name="scoringruncity",
            name="detail",
            field=models.JSONField(default=dict, verbose_name="城市明细"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
