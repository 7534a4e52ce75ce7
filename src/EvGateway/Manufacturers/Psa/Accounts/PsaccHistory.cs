using System.Globalization;
using System.Text.RegularExpressions;
using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// psa_car_controller's history (legacy-http-api.md "psacc's info.db" and "psacc's config.ini"): positions, charging
/// sessions with their price, their charge curves and states of health from <c>info.db</c>, electricity prices from <c>config.ini</c>'s
/// <c>[Electricity config]</c>. Columns psacc added over the years may be missing from an old file; what cannot be
/// read is said in words and does not stop the account's import.
/// </summary>
internal static partial class PsaccHistory
{
    public const string InfoDbFile = "info.db";
    public const string ConfigIniFile = "config.ini";

    /// <summary>
    /// Reads what the files hold; <paramref name="notUsed"/> says what could not be read and why. Null when neither
    /// file held anything.
    /// </summary>
    public static ImportedHistory? Read(string? infoDbPath, string? configIni, List<string> notUsed)
    {
        var history = infoDbPath is null ? null : ReadInfoDb(infoDbPath, notUsed);
        var prices = configIni is null ? null : ReadPrices(configIni, notUsed);
        return history is null && prices is null ? null : (history ?? new ImportedHistory([], [], [], null)) with { Prices = prices };
    }

    // Read from a copy: psa_car_controller may still hold the file open in WAL mode, and a read-only open of a WAL
    // file needs to write its -shm beside it.
    private static ImportedHistory? ReadInfoDb(string path, List<string> notUsed)
    {
        var copy = Directory.CreateTempSubdirectory("evgw-psacc-").FullName;
        try
        {
            var target = Path.Combine(copy, InfoDbFile);
            File.Copy(path, target);
            if (File.Exists(path + "-wal"))
            {
                File.Copy(path + "-wal", target + "-wal");
            }

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
            connection.Open();
            var tables = Tables(connection);
            if (!tables.Contains("position") && !tables.Contains("battery"))
            {
                notUsed.Add("info.db: it holds none of psa_car_controller's tables");
                return null;
            }

            return new ImportedHistory(
                tables.Contains("position") ? Rows(connection, "position", r => Position(r)) : [],
                tables.Contains("battery") ? Rows(connection, "battery", r => Charge(r)) : [],
                tables.Contains("battery_soh") ? Rows(connection, "battery_soh", r => Health(r)) : [],
                null,
                tables.Contains("battery_curve") ? Rows(connection, "battery_curve", r => CurvePoint(r)) : []);
        }
        catch (Exception failure) when (failure is SqliteException or IOException or UnauthorizedAccessException)
        {
            notUsed.Add($"info.db: it cannot be read as psa_car_controller's database ({failure.GetType().Name})");
            return null;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static HashSet<string> Tables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
        using var reader = command.ExecuteReader();
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Every row of a table as column → value, the rows a mapper refuses (no time, no VIN) left out.</summary>
    private static List<T> Rows<T>(SqliteConnection connection, string table, Func<Dictionary<string, object?>, T?> map)
        where T : class
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\";";
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            if (map(row) is { } mapped)
            {
                rows.Add(mapped);
            }
        }

        return rows;
    }

    private static ImportedPosition? Position(Dictionary<string, object?> row) =>
        Time(row, "Timestamp") is { } at && Text(row, "VIN") is { } vin
            ? new ImportedPosition(vin, at, Number(row, "latitude"), Number(row, "longitude"), Number(row, "mileage"), Number(row, "level"))
            : null;

    private static ImportedCharge? Charge(Dictionary<string, object?> row)
    {
        if (Time(row, "start_at") is not { } start || Text(row, "VIN") is not { } vin)
        {
            return null;
        }

        var end = Time(row, "stop_at");
        return new ImportedCharge(vin, start, end, Number(row, "start_level"), end is null ? null : Number(row, "end_level"), Number(row, "kw"),
            Number(row, "price"));
    }

    private static ImportedChargePoint? CurvePoint(Dictionary<string, object?> row) =>
        Time(row, "date") is { } at && Text(row, "VIN") is { } vin && Number(row, "level") is { } level
            ? new ImportedChargePoint(vin, at, level, Number(row, "autonomy"))
            : null;

    private static ImportedBatteryHealth? Health(Dictionary<string, object?> row) =>
        Time(row, "date") is { } at && Text(row, "VIN") is { } vin && Number(row, "level") is { } percent
            ? new ImportedBatteryHealth(vin, at, percent)
            : null;

    private static string? Text(Dictionary<string, object?> row, string column) =>
        row.GetValueOrDefault(column) is string text && Vin.IsValid(text) ? text.ToUpperInvariant() : null;

    private static double? Number(Dictionary<string, object?> row, string column) => row.GetValueOrDefault(column) switch
    {
        long whole => whole,
        double real => real,
        string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    // Stored as "YYYY-MM-DD HH:MM:SS+00:00"; older rows may carry fractions or no offset (UTC all the same).
    private static DateTimeOffset? Time(Dictionary<string, object?> row, string column) =>
        row.GetValueOrDefault(column) is string text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    private static ImportedPrices? ReadPrices(string ini, List<string> notUsed)
    {
        var sections = Ini(ini);
        if (!sections.TryGetValue("Electricity config", out var electricity))
        {
            notUsed.Add("config.ini: it has no [Electricity config] section");
            return null;
        }

        var night = Price(electricity, "night price");
        var nightStart = Hour(electricity.GetValueOrDefault("night hour start"));
        var nightEnd = Hour(electricity.GetValueOrDefault("night hour end"));
        if (night is not null && (nightStart is null || nightEnd is null))
        {
            notUsed.Add("config.ini: night price (its night hours are missing or not like 22h30)");
            night = null;
        }

        if (Price(electricity, "dc charge price") is not null)
        {
            notUsed.Add("config.ini: dc charge price (EvGateway prices every session at the day/night or day-ahead rates)");
        }

        var currency = sections.GetValueOrDefault("General")?.GetValueOrDefault("currency");
        return new ImportedPrices(Price(electricity, "day price"), night, night is null ? null : nightStart, night is null ? null : nightEnd,
            Currency(currency), Price(electricity, "charger efficiency") is { } efficiency and > 0 and <= 1 ? efficiency : null);
    }

    /// <summary>Sections of key → value; a key with no "=" or an empty value is not set, as psa_car_controller reads it.</summary>
    private static Dictionary<string, Dictionary<string, string>> Ini(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections[line[1..^1].Trim()] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            else if (current is not null && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals && line[(equals + 1)..].Trim() is { Length: > 0 } value)
            {
                current[line[..equals].Trim()] = value;
            }
        }

        return sections;
    }

    private static double? Price(Dictionary<string, string> section, string key) =>
        section.GetValueOrDefault(key) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : null;

    // "22h30", "6h00" → "22:30", "06:00".
    private static string? Hour(string? text) =>
        text is not null && NightHour().Match(text) is { Success: true } match
        && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var hour and < 24
        && int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) is var minute and < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}")
            : null;

    // psa_car_controller keeps a symbol; the gateway shows a code.
    private static string? Currency(string? symbol) => symbol switch
    {
        null or "" => null,
        "€" => "EUR",
        "£" => "GBP",
        "$" => "USD",
        "CHF" or "Fr." => "CHF",
        _ => symbol.ToUpperInvariant(),
    };

    [GeneratedRegex(@"^\s*(\d{1,2})h(\d{1,2})\s*$")]
    private static partial Regex NightHour();
}
