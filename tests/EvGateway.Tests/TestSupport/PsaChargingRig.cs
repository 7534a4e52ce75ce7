using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EvGateway.Hosting;
using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// The charging routes over the real PSA adapter (REST + MQTT) against a simulated PSA cloud whose cars live in Paris
/// time, all on one fake clock, with a data directory of their own.
/// </summary>
internal sealed class PsaChargingRig : IAsyncDisposable
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private readonly TemporaryDirectory data;

    private PsaChargingRig(FakeTimeProvider time, TemporaryDirectory data, CloudSimulator simulator, ChargingTestHost host)
    {
        Time = time;
        this.data = data;
        Simulator = simulator;
        Host = host;
    }

    public FakeTimeProvider Time { get; }
    public CloudSimulator Simulator { get; }
    public ChargingTestHost Host { get; }
    public PsaCloud Psa => Simulator.Psa;

    public static async Task<PsaChargingRig> StartAsync(DateTimeOffset now)
    {
        var time = new FakeTimeProvider(now);
        var data = new TemporaryDirectory();
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, CarTimeZone = Paris },
            TestContext.Current.CancellationToken);
        var settings = SettingsFor(simulator);
        settings["Gateway:DataDirectory"] = data.Path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await ChargingTestHost.StartAsync(time, data.Path, [], settings, services => services.AddPsa(configuration));
        return new PsaChargingRig(time, data, simulator, host);
    }

    /// <summary>The settings demo mode uses, PSA side only, with a short command timeout for the tests.</summary>
    public static Dictionary<string, string?> SettingsFor(CloudSimulator simulator)
    {
        var settings = DemoMode.SimulatorSettings(simulator)
            .Where(setting => setting.Key.StartsWith("Psa:", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key, setting => setting.Value);
        settings["Psa:CommandTimeoutSeconds"] = "5";
        return settings;
    }

    public async Task<JsonElement> GetScheduleAsync(string vin)
    {
        var response = await Host.Client.GetAsync($"/api/vehicles/{vin}/charge-schedule", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET charge-schedule answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PutScheduleAsync(string vin, string json)
    {
        var response = await Host.Client.PutAsync($"/api/vehicles/{vin}/charge-schedule",
            new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response, body);
    }

    /// <summary>The charge programmes (/VehCharge, immediate or delayed) the broker received for a car, oldest first.</summary>
    public IReadOnlyList<JsonElement> ChargeCommandsFor(string vin) =>
        [.. Psa.Published
            .Where(command => command.Service == "/VehCharge" && command.Envelope is { } envelope
                && envelope.TryGetProperty("vin", out var target) && target.GetString() == vin)
            .Select(command => command.Envelope!.Value.GetProperty("req_parameters"))];

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Simulator.DisposeAsync();
        data.Dispose();
    }
}
