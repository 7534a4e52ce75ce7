using System.Net;
using System.Net.Sockets;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace EvGateway.Simulator;

/// <summary>
/// The makers' clouds on loopback: one Kestrel app serves Gigya under /gigya, Kamereon under /kamereon and the
/// PSA clouds under /psa, with a control API under /_control for tests and demos. Start it, point the gateway's
/// base URLs at the addresses it reports, dispose it when done.
/// </summary>
public sealed class CloudSimulator : IAsyncDisposable
{
    private readonly WebApplication app;

    private CloudSimulator(WebApplication app, Uri baseAddress, RenaultCloud renault, PsaCloud psa)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Renault = renault;
        Psa = psa;
    }

    /// <summary>The root of the HTTP listener, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public RenaultCloud Renault { get; }

    public PsaCloud Psa { get; }

    public static async Task<CloudSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var port = options.HttpPort == 0 ? FreeTcpPort() : options.HttpPort;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");

        var renault = new RenaultCloud(options, baseAddress);
        renault.MapEndpoints(app);

        var psa = new PsaCloud(options, baseAddress, options.MqttPort == 0 ? FreeTcpPort() : options.MqttPort);
        psa.MapEndpoints(app);

        await psa.StartAsync();
        await app.StartAsync(cancellationToken);
        return new CloudSimulator(app, baseAddress, renault, psa);
    }

    public async ValueTask DisposeAsync()
    {
        await Psa.StopAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
