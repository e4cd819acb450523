from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_themes"),
        ("organisations", "0002_agency_kind_safeguarding_adults_board"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="sharing_agreed_agencies",
            field=models.ManyToManyField(blank=True, related_name="+", to="organisations.agency"),
        ),
        migrations.AddField(
            model_name="case",
            name="sharing_asked_by",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="case",
            name="sharing_asked_on",
            field=models.DateField(blank=True, null=True),
        ),
    ]
