"""Shared by the platform's DAGs: Airflow only triggers and watches Temporal workflows, with ids from intervals."""
