using Microsoft.Data.Sqlite;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>
/// A psa_car_controller info.db in its own schema (legacy-http-api.md: declared types, dates as TEXT with a space and
/// an offset, kw and price holding reals in INTEGER columns, WAL mode) with one car's evening, night charge and morning.
/// </summary>
internal static class PsaccInfoDb
{
    public static void Write(string path, string vin)
    {
        File.Delete(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode=WAL;
            CREATE TABLE position (Timestamp DATETIME PRIMARY KEY, VIN TEXT, longitude REAL, latitude REAL, mileage REAL, level INTEGER,
                level_fuel INTEGER, moving BOOLEAN, temperature INTEGER, altitude INTEGER);
            CREATE TABLE battery (start_at DATETIME PRIMARY KEY, stop_at DATETIME, VIN TEXT, start_level INTEGER, end_level INTEGER, co2 INTEGER,
                kw INTEGER, price INTEGER, charging_mode TEXT, mileage REAL);
            CREATE TABLE battery_curve (start_at DATETIME, VIN TEXT, date DATETIME, level INTEGER, rate INTEGER, autonomy INTEGER,
                UNIQUE (start_at, VIN, level));
            CREATE TABLE battery_soh (date DATETIME, VIN TEXT, level FLOAT, UNIQUE (VIN, level));
            INSERT INTO position VALUES ('2026-10-01 18:00:00+00:00', '{vin}', 2.35, 48.85, 1000.0, 40, NULL, 0, 12, 35);
            INSERT INTO position VALUES ('2026-10-01 22:00:00+00:00', '{vin}', 2.35, 48.85, 1000.0, 40, NULL, 0, 9, 35);
            INSERT INTO position VALUES ('2026-10-02 08:10:00.250000+00:00', '{vin}', 2.31, 48.90, 1042.5, 72, NULL, 0, 8, 60);
            INSERT INTO battery VALUES ('2026-10-01 22:30:00+00:00', '2026-10-02 01:20:00+00:00', '{vin}', 40, 80, 55, 20.8, 3.12, 'Slow', 1000.0);
            INSERT INTO battery_curve VALUES ('2026-10-01 22:30:00+00:00', '{vin}', '2026-10-01 23:30:00+00:00', 55, 40, 180);
            INSERT INTO battery_soh VALUES ('2026-09-01 08:00:00+00:00', '{vin}', 98.0);
            INSERT INTO battery_soh VALUES ('2026-10-01 08:00:00+00:00', '{vin}', 97.5);
            """;
        command.ExecuteNonQuery();
    }
}
