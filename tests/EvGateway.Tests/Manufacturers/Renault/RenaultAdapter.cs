using System.Globalization;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Renault;

/// <summary>
/// The real Renault adapter composed by the rig (no other maker) on simulated clouds of its own, sharing one fake
/// clock, so token expiry and quota cool-downs are driven by Time.Advance, never by waiting. The stored login lives
/// in the bed's data folder, and every log line down to Trace is captured.
/// </summary>
internal static class RenaultAdapter
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts clouds allowing <paramref name="callsPerHour"/> and the adapter logging in as <paramref name="username"/>
    /// with <paramref name="password"/>, checked as a starting host checks it; <paramref name="settings"/> win.
    /// </summary>
    public static async Task<GatewayServices> StartAsync(int callsPerHour = 10_000, string password = RenaultCloud.DemoPassword,
        IDictionary<string, string?>? settings = null, string username = RenaultCloud.DemoUsername)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", CultureInfo.InvariantCulture));
        var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = callsPerHour });
        var values = new Dictionary<string, string?> { ["Renault:Username"] = username, ["Renault:Password"] = password }.With(settings);
        var gateway = GatewayServices.Compose(bed, Makers.Renault, values, ownsBed: true);
        try
        {
            gateway.Validate();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    extension(GatewayServices rig)
    {
        public RenaultCloud Cloud => rig.Simulator.Renault;
        public RenaultTokenProvider Tokens => rig.Get<RenaultTokenProvider>();
        public RenaultLoginFlow Login => rig.Get<RenaultLoginFlow>();
        public string StoredSessionPath => Path.Combine(rig.DataDirectory, RenaultSessionStore.FileName);

        public int TotalCalls() => rig.Simulator.Renault.CallCounts().Values.Sum();

        /// <summary>A gateway restart, checked again as a starting host checks it.</summary>
        public async Task RestartAdapterAsync()
        {
            await rig.RestartAsync();
            rig.Validate();
        }
    }
}
