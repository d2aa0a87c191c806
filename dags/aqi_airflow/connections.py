"""The platform's database and data source as Airflow connections, read inside a task (never at parse time).

- `aqi_postgres` (conn type postgres; schema = the database): where the platform stores its readings and
  locations. The embedded stack sets it through `AIRFLOW_CONN_AQI_POSTGRES`.
- `aqi_source` (conn type http: schema = http or https, host, port): the Open-Meteo API the platform ingests
  from, the live one or the replay server. The embedded stack sets it through `AIRFLOW_CONN_AQI_SOURCE`.
"""

from __future__ import annotations

from typing import Any

POSTGRES_CONNECTION = "aqi_postgres"
SOURCE_CONNECTION = "aqi_source"


def _connection(conn_id: str) -> Any:
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowException, AirflowNotFoundException

    try:
        return Connection.get(conn_id)
    except AirflowNotFoundException as err:
        raise AirflowException(
            f"the Airflow connection {conn_id!r} is not set (e.g. AIRFLOW_CONN_{conn_id.upper()})"
        ) from err


def postgres_params(connection: Any) -> dict[str, Any]:
    """asyncpg's connect() arguments from an Airflow connection."""
    return {
        "host": connection.host or "127.0.0.1",
        "port": int(connection.port or 5432),
        "user": connection.login,
        "password": connection.password,
        "database": connection.schema or "aqi",
    }


def source_url(connection: Any) -> str:
    """`http://127.0.0.1:8100` or `https://air-quality-api.open-meteo.com` from an Airflow connection."""
    scheme = connection.schema or "https"
    if not connection.host:
        raise ValueError(f"the connection {SOURCE_CONNECTION!r} has no host")
    port = f":{connection.port}" if connection.port else ""
    return f"{scheme}://{connection.host}{port}"


def platform_postgres() -> dict[str, Any]:
    return postgres_params(_connection(POSTGRES_CONNECTION))


def platform_source() -> str:
    return source_url(_connection(SOURCE_CONNECTION))
