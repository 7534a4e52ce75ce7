using System.Net;
using MQTTnet.Server;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>MQTTnet's broker on a loopback port, standing in for the owner's broker.</summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private readonly MqttServer server;

    private InProcessBroker(MqttServer server, int port)
    {
        this.server = server;
        Port = port;
    }

    public int Port { get; }

    public static Task<InProcessBroker> StartAsync() => StartOnAsync(MqttProbe.FreePort());

    public static async Task<InProcessBroker> StartOnAsync(int port)
    {
        var factory = new MqttServerFactory();
        var server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build());
        await server.StartAsync();
        return new InProcessBroker(server, port);
    }

    /// <summary>The gateway's settings for this broker.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        server.Dispose();
    }
}
