using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// Everything around a gateway under test: one fake clock, the simulated clouds on loopback sockets running on it,
/// and a data folder. Gateways come and go on a bed; a restarted gateway finds the clouds, the clock and its files
/// as the previous one left them.
/// </summary>
internal sealed class TestBed : IAsyncDisposable
{
    private TestBed(FakeTimeProvider time, CloudSimulator simulator)
    {
        Time = time;
        Simulator = simulator;
    }

    public FakeTimeProvider Time { get; }
    public CloudSimulator Simulator { get; }
    public RenaultCloud Renault => Simulator.Renault;
    public PsaCloud Psa => Simulator.Psa;

    /// <summary>The gateway's data folder (settings, tokens), also a place for a test's own files.</summary>
    public TemporaryDirectory Data { get; } = new();

    public string DataDirectory => Data.Path;

    /// <summary>Starts the clouds; they run on <paramref name="options"/>' clock, which must be a FakeTimeProvider the gateway then shares.</summary>
    public static async Task<TestBed> StartAsync(SimulatorOptions options)
    {
        var time = options.TimeProvider as FakeTimeProvider
                   ?? throw new ArgumentException("The simulated clouds must run on the test's FakeTimeProvider.", nameof(options));
        return new TestBed(time, await CloudSimulator.StartAsync(options, TestContext.Current.CancellationToken));
    }

    /// <summary>What points a gateway at these clouds (see <see cref="GatewayRig.SimulatorSettings"/>) and at this bed's data folder.</summary>
    public Dictionary<string, string?> Settings(Makers makers)
    {
        var settings = GatewayRig.SimulatorSettings(Simulator, makers);
        settings["Gateway:DataDirectory"] = DataDirectory;
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Data.Dispose();
    }
}
