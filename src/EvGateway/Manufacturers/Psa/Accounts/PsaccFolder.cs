using System.Text.Json;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>psa_car_controller's working folder, as <c>EvGateway import-psacc &lt;folder&gt;</c> reads it.</summary>
internal static class PsaccFolder
{
    public const string ConfigFile = "config.json";
    public const string OtpFile = "otp.bin";
    public const string ChargeConfigFile = "charge_config.json";

    /// <summary>psa_car_controller's files are a few KB; anything far larger is not one of them.</summary>
    private const long MaxFileLength = 1 << 20;

    private static readonly (string File, string Why)[] LeftBehind =
    [
        ("cars.json", "EvGateway lists the cars from PSA itself"),
    ];

    /// <summary>
    /// Reads config.json (required), otp.bin, charge_config.json, info.db and config.ini (when present) from
    /// <paramref name="folder"/>.
    /// </summary>
    /// <param name="folder">psa_car_controller's folder.</param>
    /// <param name="problems">What is missing or malformed when null is returned.</param>
    /// <param name="leftBehind">psa_car_controller's other files found there, each with why it is not imported.</param>
    /// <returns>The files, or null.</returns>
    public static PsaccFiles? Read(string folder, out IReadOnlyList<PsaccProblem> problems, out IReadOnlyList<string> leftBehind)
    {
        leftBehind = [.. LeftBehind.Where(f => File.Exists(Path.Combine(folder, f.File))).Select(f => $"{f.File} ({f.Why})")];
        if (!Directory.Exists(folder))
        {
            problems = [new PsaccProblem(folder, "Not a folder.")];
            return null;
        }

        var found = new List<PsaccProblem>();
        using var config = ReadJson(folder, ConfigFile, required: true, found);
        using var chargeConfig = ReadJson(folder, ChargeConfigFile, required: false, found);
        var otpBin = ReadBytes(folder, OtpFile, required: false, found);
        if (found.Count > 0 || config is null)
        {
            problems = found;
            return null;
        }

        if (PsaccFiles.Read(config.RootElement, otpBin, chargeConfig?.RootElement, PsaccSourceNames.Folder, out problems) is not { } files)
        {
            return null;
        }

        var infoDb = Path.Combine(folder, PsaccHistory.InfoDbFile);
        var configIni = Path.Combine(folder, PsaccHistory.ConfigIniFile);
        return files.WithHistory(File.Exists(infoDb) ? infoDb : null, File.Exists(configIni) ? File.ReadAllText(configIni) : null);
    }

    private static JsonDocument? ReadJson(string folder, string file, bool required, List<PsaccProblem> problems) =>
        ReadBytes(folder, file, required, problems) is { } bytes ? PsaccFiles.ParseJson(bytes, file, problems) : null;

    private static byte[]? ReadBytes(string folder, string file, bool required, List<PsaccProblem> problems)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            if (required)
            {
                problems.Add(new PsaccProblem(file, $"Missing from {folder}."));
            }

            return null;
        }

        if (new FileInfo(path).Length > MaxFileLength)
        {
            problems.Add(new PsaccProblem(file, "Far too large to be psa_car_controller's."));
            return null;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            problems.Add(new PsaccProblem(file, $"Cannot be read ({failure.GetType().Name})."));
            return null;
        }
    }
}
