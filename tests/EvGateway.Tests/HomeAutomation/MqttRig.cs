using EvGateway.Tests.TestSupport;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>A gateway publishing to an in-process broker, and a home-automation client that saw it come online.</summary>
internal sealed class MqttRig : IAsyncDisposable
{
    private MqttRig(InProcessBroker broker, GatewayApp app, MqttProbe probe)
    {
        Broker = broker;
        App = app;
        Probe = probe;
    }

    public InProcessBroker Broker { get; }
    public GatewayApp App { get; }
    public MqttProbe Probe { get; }

    public static async Task<MqttRig> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var broker = await InProcessBroker.StartAsync();
        var app = await GatewayApp.StartAsync(broker.Settings(settings));
        var probe = await MqttProbe.ConnectAsync(broker.Port, TestContext.Current.CancellationToken);
        await probe.WaitForAsync("evgateway/status", "online", TestContext.Current.CancellationToken);
        return new MqttRig(broker, app, probe);
    }

    public void Deconstruct(out InProcessBroker broker, out GatewayApp app, out MqttProbe probe) => (broker, app, probe) = (Broker, App, Probe);

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await App.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
