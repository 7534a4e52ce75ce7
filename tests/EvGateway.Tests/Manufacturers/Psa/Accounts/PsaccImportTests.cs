using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Accounts;
using EvGateway.Charging.Control;
using EvGateway.Hosting;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using EvGateway.Tests.Manufacturers.Psa.Pairing;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>
/// An owner moving from psa_car_controller: its config.json, otp.bin (the synthetic one of the vectors, whose soft
/// token the simulated inWebo server is told to know) and charge_config.json, through the built gateway's command
/// line and through the API.
/// </summary>
public sealed class PsaccImportTests
{
    private const string Threshold = "80";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_psacc_on_the_command_line_serves_the_cars_keeps_charge_control_and_sends_a_command_without_any_SMS()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        var folder = PsaccFolderOf(rig);

        var (exitCode, output) = await RunGatewayAsync(rig, "import-psacc", folder.FullName);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"Imported from {folder.FullName}:", output, StringComparison.Ordinal);
        Assert.Contains("otp.bin: the remote-command pairing", output, StringComparison.Ordinal);
        Assert.Contains($"charge_config.json: charge control of {PsaCloud.DemoE208Vin} stops at {Threshold} % and at 22:30; "
                        + $"{PsaCloud.DemoHybridVin} without charge control", output, StringComparison.Ordinal);
        Assert.Contains("config.json: weather_api (EvGateway does not read the weather)", output, StringComparison.Ordinal);
        Assert.Contains("info.db: it holds none of psa_car_controller's tables", output, StringComparison.Ordinal);
        Assert.Contains("PSA account: connected; remote commands: paired", output, StringComparison.Ordinal);
        Assert.Contains(PsaCloud.DemoHybridVin, output, StringComparison.Ordinal);
        await PsaAccountApiTests.AssertNoSecretAsync(rig, output);

        await rig.StartGatewayAsync();
        await AssertImportedAccountServesAsync(rig);
        using var horn = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        Assert.Equal(HttpStatusCode.Accepted, horn.StatusCode);
        Assert.Equal(0, rig.Psa.Pairing.SmsCodesSent);
        Assert.Equal(0, rig.Psa.Pairing.Activations);
        foreach (var file in new[] { PsaTokenStore.FileName, OtpStateStore.FileName, ChargeControlStore.FileName, StoredAccounts.FileName })
        {
            PsaAccountRig.AssertFileIsPrivate(rig.FilePath(file));
        }

        await PsaAccountApiTests.AssertNoSecretAsync(rig, rig.App!.Log.All);
    }

    [Fact]
    public async Task Import_through_the_API_renews_a_remote_token_psa_car_controller_let_lapse_with_the_imported_pairing_and_no_SMS()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var folder = PsaccFolderOf(rig, remoteRefreshToken: "d2f0c6a4-0000-4000-8000-lapsed0token");

        var (answer, imported) = await rig.PostAsync("/api/accounts/psa/import", new
        {
            config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "config.json"), Ct)),
            otp = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "otp.bin"), Ct)),
            chargeConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "charge_config.json"), Ct)),
        });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("connected", imported.GetProperty("state").GetString());
        Assert.Equal("paired", imported.GetProperty("remoteCommands").GetString());
        Assert.Contains(imported.GetProperty("imported").EnumerateArray(), l => l.GetString()!.StartsWith("otp.bin:", StringComparison.Ordinal));
        Assert.Contains(imported.GetProperty("notUsed").EnumerateArray(), l => l.GetString()!.StartsWith("config.json: weather_api", StringComparison.Ordinal));
        Assert.Equal(2, imported.GetProperty("vins").GetArrayLength());
        await AssertImportedAccountServesAsync(rig);
        using var horn = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");
        Assert.Equal(HttpStatusCode.Accepted, horn.StatusCode);
        Assert.Equal(1, rig.Psa.Pairing.OtpsIssued);
        Assert.Equal(0, rig.Psa.Pairing.SmsCodesSent);
        Assert.Equal(0, rig.Psa.Pairing.Activations);
        await PsaAccountApiTests.AssertNoSecretAsync(rig, imported.ToString());
        await PsaAccountApiTests.AssertNoSecretAsync(rig, rig.App!.Log.All);
    }

    [Fact]
    public async Task An_import_whose_refresh_token_was_rotated_since_says_so_and_the_browser_login_then_reuses_its_app()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var config = Config(rig, rig.Psa.CurrentRemoteRefreshToken);
        config["refresh_token"] = "0b5d6a1e-0000-4000-8000-rotatedsince";

        var (answer, imported) = await rig.PostAsync("/api/accounts/psa/import", new { config });
        var (login, started) = await rig.PostAsync("/api/accounts/psa/login", new { brand = "Peugeot", country = "FR" });
        using var browser = new PsaOwnerBrowser();
        var pasted = await browser.LogInAsync(new Uri(started.GetProperty("authorizeUrl").GetString()!));
        var (authorized, account) = await rig.PostAsync("/api/accounts/psa/authorize", new { redirectUrl = pasted });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("login_required", imported.GetProperty("state").GetString());
        Assert.Contains(imported.GetProperty("notUsed").EnumerateArray(),
            l => l.GetString()!.StartsWith("config.json: refresh_token (PSA refused it", StringComparison.Ordinal));
        Assert.Empty(imported.GetProperty("vins").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal("connected", account.GetProperty("state").GetString());
        Assert.Contains(PsaCloud.DemoE208Vin, await rig.Client.GetStringAsync("/api/vehicles", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("config", "config.refresh_token")]
    [InlineData("realm", "config.realm")]
    [InlineData("otp", "otp")]
    [InlineData("chargeConfig", "chargeConfig.VR3UHZKXZLT123456.stop_hour")]
    public async Task A_malformed_file_is_a_400_naming_the_field_and_changes_nothing(string broken, string field)
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var config = Config(rig, rig.Psa.CurrentRemoteRefreshToken);
        if (broken == "config")
        {
            config.Remove("refresh_token");
        }

        if (broken == "realm")
        {
            config["realm"] = "clientsB2CFiat";
        }

        var (answer, problem) = await rig.PostAsync("/api/accounts/psa/import", new
        {
            config,
            otp = broken == "otp" ? Convert.ToBase64String(Encoding.UTF8.GetBytes("not a pickle")) : null,
            chargeConfig = broken == "chargeConfig" ? JsonNode.Parse($"{{\"{PsaCloud.DemoE208Vin}\":{{\"stop_hour\":[25,0]}}}}") : null,
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.False(File.Exists(rig.FilePath(PsaTokenStore.FileName)));
        Assert.False(File.Exists(rig.FilePath(OtpStateStore.FileName)));
        Assert.Equal("login_required", (await rig.AccountAsync()).GetProperty("state").GetString());
        await PsaAccountApiTests.AssertNoSecretAsync(rig, problem.ToString());
    }

    [Fact]
    public async Task Import_psacc_on_a_folder_with_a_broken_config_exits_1_saying_why_and_changes_nothing()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        var folder = PsaccFolderOf(rig);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "config.json"), "{\"realm\": \"clientsB2CPeugeot\",", Ct);

        var (exitCode, output) = await RunGatewayAsync(rig, "import-psacc", folder.FullName);
        var (missingExit, missingOutput) = await RunGatewayAsync(rig, "import-psacc", Path.Combine(folder.FullName, "nothing-here"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Nothing was imported from {folder.FullName}:", output, StringComparison.Ordinal);
        Assert.Contains("config.json: Not valid JSON (line 1).", output, StringComparison.Ordinal);
        Assert.Equal(1, missingExit);
        Assert.Contains("Not a folder.", missingOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(rig.FilePath(PsaTokenStore.FileName)));
        Assert.False(File.Exists(rig.FilePath(OtpStateStore.FileName)));
        Assert.False(File.Exists(rig.FilePath(ChargeControlStore.FileName)));
    }

    [Fact]
    public async Task Import_psacc_brings_the_history_of_info_db_and_the_prices_of_config_ini_and_a_second_import_adds_nothing()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        var folder = PsaccFolderOf(rig);
        var vin = PsaCloud.DemoE208Vin;
        PsaccInfoDb.Write(Path.Combine(folder.FullName, "info.db"), vin);
        File.WriteAllText(Path.Combine(folder.FullName, "config.ini"), """
            [General]
            currency = €
            minimum trip length = 10

            [Electricity config]
            day price = 0.1853
            night price = 0.1353
            night hour start = 22h30
            night hour end = 6h00
            dc charge price
            charger efficiency = 0.8942
            """);

        var (exitCode, output) = await RunGatewayAsync(rig, "import-psacc", folder.FullName);
        // The first import used the copied refresh token: the second copies the files again, as psa_car_controller now holds them.
        File.WriteAllText(Path.Combine(folder.FullName, "config.json"), Config(rig, rig.Psa.CurrentRemoteRefreshToken).ToJsonString());
        var (againCode, again) = await RunGatewayAsync(rig, "import-psacc", folder.FullName);

        Assert.True(exitCode == 0, output);
        Assert.Contains("info.db: 3 of 3 positions, 1 of 1 charging sessions with their price, 1 of 1 charge-curve points, 2 of 2 battery health readings",
            output, StringComparison.Ordinal);
        Assert.Contains("config.ini: the electricity prices, as the History settings", output, StringComparison.Ordinal);
        Assert.DoesNotContain("battery_curve", output, StringComparison.Ordinal);
        Assert.True(againCode == 0, again);
        Assert.Contains("info.db: 0 of 3 positions, 0 of 1 charging sessions with their price, 0 of 1 charge-curve points, 0 of 2 battery health readings",
            again, StringComparison.Ordinal);

        // The car still reports what psa_car_controller last kept: no new reading.
        rig.Psa.SetBatteryHealth(vin, 97.5);
        var app = await rig.StartGatewayAsync();
        var range = "from=2026-10-01T00:00:00Z&to=2026-10-03T00:00:00Z";
        var positions = await rig.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{vin}/positions?{range}", Ct);
        var charge = Assert.Single((await rig.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{vin}/charges?{range}", Ct))!);
        var health = await rig.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{vin}/battery-health", Ct);

        Assert.Equal([1000.0, 1000.0, 1042.5], positions!.Select(p => p.GetProperty("odometerKm").GetDouble()));
        // The level rose overnight between two positions, but psa_car_controller watched that charge: its session stands.
        Assert.Equal("import", charge.GetProperty("source").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T22:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
            charge.GetProperty("start").GetDateTimeOffset());
        Assert.Equal((40.0, 80.0, 20.8, 3.12), (charge.GetProperty("startLevel").GetDouble(), charge.GetProperty("endLevel").GetDouble(),
            charge.GetProperty("energyKwh").GetDouble(), charge.GetProperty("cost").GetDouble()));
        Assert.Equal([98.0, 97.5], health!.Select(h => h.GetProperty("sohPercent").GetDouble()));
        Assert.Equal("{\"soh\":97.5}\n", await rig.Client.GetStringAsync($"/battery/soh/{vin}", Ct));
        var prices = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EvGateway.History.HistoryOptions>>().Value;
        Assert.Equal((0.1853, 0.1353, "22:30", "06:00", "EUR", 0.8942),
            (prices.DayPrice, prices.NightPrice, prices.NightStart, prices.NightEnd, prices.Currency, prices.ChargerEfficiency));
    }

    [Fact]
    public async Task Import_through_the_API_takes_info_db_in_base64_and_config_ini_as_text_and_refuses_an_info_db_that_is_not_base64()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var folder = PsaccFolderOf(rig);
        var vin = PsaCloud.DemoE208Vin;
        var infoDb = Path.Combine(folder.FullName, "info.db");
        PsaccInfoDb.Write(infoDb, vin);
        using (var checkpoint = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={infoDb};Pooling=False"))
        {
            // An owner uploads the file alone: what its write-ahead log held must be in it.
            checkpoint.Open();
            using var command = checkpoint.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "config.json"), Ct));
        var (refused, problem) = await rig.PostAsync("/api/accounts/psa/import", new { config, infoDb = "not base64!" });
        var (answer, imported) = await rig.PostAsync("/api/accounts/psa/import", new
        {
            config,
            infoDb = Convert.ToBase64String(await File.ReadAllBytesAsync(infoDb, Ct)),
            configIni = "[Electricity config]\nday price = 0.2\n",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("infoDb", out _), problem.ToString());
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains(imported.GetProperty("imported").EnumerateArray(),
            l => l.GetString()!.StartsWith("info.db: 3 of 3 positions, 1 of 1 charging sessions", StringComparison.Ordinal));
        Assert.Contains(imported.GetProperty("imported").EnumerateArray(), l => l.GetString()!.StartsWith("config.ini:", StringComparison.Ordinal));
        var positions = await rig.Client.GetFromJsonAsync<JsonElement[]>(
            $"/api/vehicles/{vin}/positions?from=2026-10-01T00:00:00Z&to=2026-10-03T00:00:00Z", Ct);
        Assert.Equal(3, positions!.Length);
    }

    /// <summary>Both cars served, with the charge-control settings charge_config.json held ([0, 0] = no stop hour).</summary>
    private static async Task AssertImportedAccountServesAsync(PsaAccountRig rig)
    {
        var account = await rig.AccountAsync();
        Assert.Equal("connected", account.GetProperty("state").GetString());
        Assert.Equal("paired", account.GetProperty("remoteCommands").GetString());
        var vehicles = await rig.Client.GetStringAsync("/api/vehicles", Ct);
        Assert.Contains(PsaCloud.DemoE208Vin, vehicles, StringComparison.Ordinal);
        Assert.Contains(PsaCloud.DemoHybridVin, vehicles, StringComparison.Ordinal);
        var e208 = await rig.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{PsaCloud.DemoE208Vin}/charge-control", Ct);
        Assert.Equal(int.Parse(Threshold, System.Globalization.CultureInfo.InvariantCulture), e208.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal("22:30", e208.GetProperty("stopAt").GetString());
        var hybrid = await rig.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{PsaCloud.DemoHybridVin}/charge-control", Ct);
        Assert.Equal(100, hybrid.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal(JsonValueKind.Null, hybrid.GetProperty("stopAt").ValueKind);
    }

    /// <summary>
    /// psa_car_controller's folder for the simulated account, in its own shapes; the simulated inWebo server is told
    /// the synthetic otp.bin's soft token is the account's pairing (made by psa_car_controller, not here).
    /// </summary>
    private static DirectoryInfo PsaccFolderOf(PsaAccountRig rig, string? remoteRefreshToken = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(rig.DataDirectory, "psa_car_controller"));
        var config = Config(rig, remoteRefreshToken ?? rig.Psa.CurrentRemoteRefreshToken);
        File.WriteAllText(Path.Combine(folder.FullName, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var otpBin = InWeboVectors.Bytes("otp.bin");
        File.WriteAllBytes(Path.Combine(folder.FullName, "otp.bin"), otpBin);
        File.WriteAllText(Path.Combine(folder.FullName, "charge_config.json"), $$"""
            {
                "{{PsaCloud.DemoE208Vin}}": { "percentage_threshold": {{Threshold}}, "stop_hour": [22, 30] },
                "{{PsaCloud.DemoHybridVin}}": { "percentage_threshold": 100, "stop_hour": [0, 0] }
            }
            """);
        File.WriteAllText(Path.Combine(folder.FullName, "info.db"), "");
        var pairing = PsaccOtpImport.Import(otpBin);
        rig.Psa.Pairing.AdoptSoftToken(new PsaSoftToken(pairing.ToolId, pairing.Serial, pairing.Pin, pairing.SecretId, pairing.LastSync,
            pairing.K0, pairing.K1, pairing.SecretValue));
        return folder;
    }

    /// <summary>config.json as psa_car_controller writes it (PSAClientEncoder's keys), for the simulated account.</summary>
    private static JsonObject Config(PsaAccountRig rig, string remoteRefreshToken) => new()
    {
        ["abrp"] = new JsonObject { ["abrp_enable_vin"] = new JsonArray(), ["token"] = "" },
        ["client_id"] = PsaCloud.DemoClientId,
        ["client_secret"] = PsaCloud.DemoClientSecret,
        ["co2_signal_api"] = null,
        ["country_code"] = "FR",
        ["customer_id"] = PsaCloud.DemoCustomerId,
        ["proxies"] = new JsonObject { ["http"] = "", ["https"] = "" },
        ["realm"] = PsaCloud.Realm,
        ["refresh_token"] = rig.Psa.CurrentRefreshToken,
        ["remote_refresh_token"] = remoteRefreshToken,
        ["weather_api"] = "a-weather-key",
    };

    /// <summary>The built gateway as an owner runs it from a shell, pointed at the rig's simulator and data folder.</summary>
    private static Task<(int ExitCode, string Output)> RunGatewayAsync(PsaAccountRig rig, params string[] arguments)
    {
        var environment = DemoMode.SimulatorSettings(rig.Simulator)
            .Where(s => s.Key.EndsWith("Url", StringComparison.Ordinal) || s.Key.StartsWith("Psa:Mqtt:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        environment["Renault:Username"] = "";
        environment["Gateway:DataDirectory"] = rig.DataDirectory;
        return GatewayCommandLine.RunAsync(arguments, environment);
    }
}
