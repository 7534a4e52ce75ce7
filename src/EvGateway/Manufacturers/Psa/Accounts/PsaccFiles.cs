using System.Globalization;
using System.Text.Json;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// psa_car_controller's files (psa.md §1b "psa_car_controller's files"), read and checked as a whole before anything
/// is changed: <c>config.json</c> (the account, its app and its tokens), <c>otp.bin</c> (the remote-command pairing)
/// and <c>charge_config.json</c> (charge control per car). Holds secrets: never logged, never shown.
/// </summary>
internal sealed record PsaccFiles
{
    /// <summary>config.json keys psa_car_controller writes that the gateway has no use for, and why.</summary>
    private static readonly Dictionary<string, string> UnusedKeys = new(StringComparer.Ordinal)
    {
        ["abrp"] = "sending to A Better Route Planner is not part of EvGateway",
        ["proxies"] = "EvGateway goes through the proxy its environment names (HTTPS_PROXY)",
        ["weather_api"] = "EvGateway does not read the weather",
        ["co2_signal_api"] = "EvGateway does not read CO2 data",
    };

    private static readonly string[] AccountKeys =
        ["realm", "client_id", "client_secret", "refresh_token", "country_code", "customer_id", "remote_refresh_token"];

    private PsaccFiles()
    {
    }

    public PsaBrand Brand { get; private init; }

    /// <summary>Two letters, upper case; null when config.json names none (older files).</summary>
    public string? Country { get; private init; }

    public string ClientId { get; private init; } = "";
    public string ClientSecret { get; private init; } = "";
    public string RefreshToken { get; private init; } = "";

    /// <summary>As psa_car_controller keeps it ("AP-ACNT..."), or null.</summary>
    public string? CustomerId { get; private init; }

    public string? RemoteRefreshToken { get; private init; }

    /// <summary>The pairing from otp.bin, or null when none was given.</summary>
    public OtpState? Otp { get; private init; }

    public IReadOnlyList<ImportedChargeControl> ChargeControl { get; private init; } = [];

    /// <summary>Positions, charges, states of health and prices from info.db and config.ini, or null when none was given.</summary>
    public ImportedHistory? History { get; private init; }

    /// <summary>What the files hold that the gateway does not take, in words (never a value).</summary>
    public IReadOnlyList<string> NotUsed { get; private init; } = [];

    /// <summary>
    /// Reads the files; <paramref name="problems"/> names each field that is missing or malformed (by the names in
    /// <paramref name="names"/>) and why, without its value.
    /// </summary>
    /// <returns>The files, or null when any problem was found.</returns>
    public static PsaccFiles? Read(JsonElement config, byte[]? otpBin, JsonElement? chargeConfig, PsaccSourceNames names,
        out IReadOnlyList<PsaccProblem> problems)
    {
        var found = new List<PsaccProblem>();
        var notUsed = new List<string>();
        var files = ReadConfig(config, names.Config, found, notUsed);
        var otp = otpBin is null ? null : ReadOtp(otpBin, names.Otp, found);
        var chargeControl = chargeConfig is { } charge ? ReadChargeConfig(charge, names.ChargeConfig, found, notUsed) : [];
        problems = found;
        return files is null || found.Count > 0 ? null : files with { Otp = otp, ChargeControl = chargeControl, NotUsed = notUsed };
    }

    /// <summary>
    /// These files with psa_car_controller's history from <paramref name="infoDbPath"/> and <paramref name="configIni"/>
    /// (either may be null); what of them cannot be read joins <see cref="NotUsed"/>: the history never stops the
    /// account's import.
    /// </summary>
    public PsaccFiles WithHistory(string? infoDbPath, string? configIni)
    {
        var notUsed = new List<string>(NotUsed);
        return this with { History = PsaccHistory.Read(infoDbPath, configIni, notUsed), NotUsed = notUsed };
    }

    // The generated one would print the tokens and the pairing.
    public override string ToString() => $"{nameof(PsaccFiles)} {{ Brand = {Brand}, Country = {Country} }}";

    private static PsaccFiles? ReadConfig(JsonElement config, string name, List<PsaccProblem> problems, List<string> notUsed)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(name, "Must be psa_car_controller's config.json: a JSON object."));
            return null;
        }

        var realm = Text(config, name, "realm", required: true, problems);
        var brand = realm is null ? null : PsaBrandProfile.BrandOfRealm(realm);
        if (realm is not null && brand is null)
        {
            problems.Add(new($"{name}.realm", $"Must be a PSA brand's realm (clientsB2CPeugeot, clientsB2CCitroen, clientsB2CDS, clientsB2COpel or clientsB2CVauxhall), not \"{realm}\"."));
        }

        var clientId = Text(config, name, "client_id", required: true, problems);
        var clientSecret = Text(config, name, "client_secret", required: true, problems);
        var refreshToken = Text(config, name, "refresh_token", required: true, problems);
        var country = Text(config, name, "country_code", required: false, problems)?.ToUpperInvariant();
        if (country is not null && !PsaOptions.IsCountryCode(country))
        {
            problems.Add(new($"{name}.country_code", "Must be a two-letter country code such as FR."));
        }

        var customerId = Text(config, name, "customer_id", required: false, problems);
        var remoteRefreshToken = Text(config, name, "remote_refresh_token", required: false, problems);
        foreach (var property in config.EnumerateObject())
        {
            if (UnusedKeys.TryGetValue(property.Name, out var why))
            {
                if (HoldsSomething(property.Value))
                {
                    notUsed.Add($"config.json: {property.Name} ({why})");
                }
            }
            else if (!AccountKeys.Contains(property.Name))
            {
                notUsed.Add($"config.json: {property.Name} (unknown to EvGateway)");
            }
        }

        return brand is { } known && clientId is not null && clientSecret is not null && refreshToken is not null
            ? new PsaccFiles
            {
                Brand = known,
                Country = country,
                ClientId = clientId,
                ClientSecret = clientSecret,
                RefreshToken = refreshToken,
                CustomerId = customerId,
                RemoteRefreshToken = remoteRefreshToken,
            }
            : null;
    }

    private static OtpState? ReadOtp(byte[] otpBin, string name, List<PsaccProblem> problems)
    {
        try
        {
            return PsaccOtpImport.Import(otpBin);
        }
        catch (PsaPairingException refused)
        {
            problems.Add(new(name, refused.Message));
            return null;
        }
    }

    private static List<ImportedChargeControl> ReadChargeConfig(JsonElement chargeConfig, string name, List<PsaccProblem> problems,
        List<string> notUsed)
    {
        var settings = new List<ImportedChargeControl>();
        if (chargeConfig.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(name, "Must be psa_car_controller's charge_config.json: a JSON object with one entry per VIN."));
            return settings;
        }

        foreach (var car in chargeConfig.EnumerateObject())
        {
            var field = $"{name}.{car.Name}";
            if (!Vin.IsValid(car.Name))
            {
                problems.Add(new(field, Vin.Rule));
                continue;
            }

            if (car.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(field, "Must be an object with percentage_threshold and stop_hour."));
                continue;
            }

            var threshold = 100;
            if (car.Value.TryGetProperty("percentage_threshold", out var level) && level.ValueKind != JsonValueKind.Null)
            {
                if (level.ValueKind != JsonValueKind.Number || !level.TryGetInt32(out threshold) || threshold is < 1 or > 100)
                {
                    problems.Add(new($"{field}.percentage_threshold", "Must be a whole number from 1 to 100 (100 = no threshold)."));
                    continue;
                }
            }

            if (!TryReadStopHour(car.Value, out var stopAt))
            {
                problems.Add(new($"{field}.stop_hour", "Must be null or [hour, minute] with hour 0-23 and minute 0-59."));
                continue;
            }

            notUsed.AddRange(car.Value.EnumerateObject()
                .Where(p => p.Name is not ("percentage_threshold" or "stop_hour"))
                .Select(p => $"charge_config.json: {car.Name}.{p.Name} (unknown to EvGateway)"));
            settings.Add(new ImportedChargeControl(car.Name, threshold, stopAt));
        }

        return settings;
    }

    // psa_car_controller reads [0, 0] as "no stop hour" (older versions wrote it for that); null says the same.
    private static bool TryReadStopHour(JsonElement car, out TimeOnly? stopAt)
    {
        stopAt = null;
        if (!car.TryGetProperty("stop_hour", out var stopHour) || stopHour.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (stopHour.ValueKind != JsonValueKind.Array || stopHour.GetArrayLength() != 2
            || !stopHour[0].TryGetInt32(out var hour) || !stopHour[1].TryGetInt32(out var minute)
            || hour is < 0 or > 23 || minute is < 0 or > 59)
        {
            return false;
        }

        stopAt = hour == 0 && minute == 0 ? null : new TimeOnly(hour, minute);
        return true;
    }

    private static string? Text(JsonElement config, string name, string key, bool required, List<PsaccProblem> problems)
    {
        if (!config.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(new($"{name}.{key}", "Missing."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add(new($"{name}.{key}", required ? "Must be a non-empty string." : "Must be a non-empty string or null."));
            return null;
        }

        return value.GetString()!.Trim();
    }

    private static bool HoldsSomething(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.EnumerateArray().Any(HoldsSomething),
        JsonValueKind.Object => value.EnumerateObject().Any(p => HoldsSomething(p.Value)),
        _ => true,
    };

    /// <summary>
    /// A file's JSON, or null with a problem naming <paramref name="field"/> and the line where it breaks; not the
    /// parser's own message, which quotes what it met: the files hold secrets.
    /// </summary>
    internal static JsonDocument? ParseJson(ReadOnlyMemory<byte> utf8, string field, List<PsaccProblem> problems)
    {
        try
        {
            return JsonDocument.Parse(utf8);
        }
        catch (JsonException failure)
        {
            problems.Add(new PsaccProblem(field, string.Create(CultureInfo.InvariantCulture, $"Not valid JSON (line {(failure.LineNumber ?? 0) + 1}).")));
            return null;
        }
    }

    /// <summary>A stop setting in words: "stops at 80 % and at 22:30".</summary>
    internal static string Describe(ImportedChargeControl setting)
    {
        var parts = new List<string>();
        if (setting.PercentageThreshold < 100)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"at {setting.PercentageThreshold} %"));
        }

        if (setting.StopAt is { } at)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"at {at:HH:mm}"));
        }

        return parts.Count == 0 ? $"{setting.Vin} without charge control" : $"{setting.Vin} stops {string.Join(" and ", parts)}";
    }
}

/// <summary>How the owner's files are named where they came from: request fields, or the files of a folder.</summary>
internal sealed record PsaccSourceNames(string Config, string Otp, string ChargeConfig)
{
    public static readonly PsaccSourceNames Request = new("config", "otp", "chargeConfig");
    public static readonly PsaccSourceNames Folder = new(PsaccFolder.ConfigFile, PsaccFolder.OtpFile, PsaccFolder.ChargeConfigFile);
}

/// <summary>A field of psa_car_controller's files that cannot be used as it is, and why (never its value).</summary>
internal sealed record PsaccProblem(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
