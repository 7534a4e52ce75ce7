using System.Diagnostics;
using System.Net;
using EvGateway.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace EvGateway.Tests.Simulator;

/// <summary>
/// WebApplicationFactory finds Program's host by watching host building on the async flow that runs Program, and
/// moves every host it sees built there onto an in-memory test server, until it stops listening a moment after
/// Program's own host is built. Demo mode starts its simulator on that flow right after: the simulator must not be
/// taken over, or it has no socket and the demo's adapters are refused.
/// </summary>
public class HostBuildingObserverTests
{
    [Fact]
    public async Task A_simulator_started_while_the_callers_host_building_is_watched_still_serves_on_its_socket()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var observer = new FlowBoundHostObserver();

        await using var simulator = await CloudSimulator.StartAsync(new SimulatorOptions(), cancellation);
        using var http = new HttpClient();
        using var answer = await http.GetAsync(simulator.Renault.EmailsPageUrl, cancellation);

        Assert.Equal(0, observer.HostsConfigured);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public void The_observer_takes_over_a_host_built_on_its_flow()
    {
        using var observer = new FlowBoundHostObserver();

        using var host = new HostBuilder().ConfigureWebHost(web => web.Configure(_ => { })).Build();

        Assert.Equal(1, observer.HostsConfigured);
        Assert.IsType<TestServer>(host.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer)));
    }

    /// <summary>Watches host building the way WebApplicationFactory's host resolver does: only on this flow, configuring each host.</summary>
    private sealed class FlowBoundHostObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private static readonly AsyncLocal<FlowBoundHostObserver?> Current = new();
        private readonly IDisposable subscription;
        private int configured;

        public FlowBoundHostObserver()
        {
            Current.Value = this;
            subscription = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int HostsConfigured => Volatile.Read(ref configured);

        public void OnNext(DiagnosticListener value)
        {
            if (Current.Value == this && value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Current.Value == this && value.Key == "HostBuilding" && value.Value is IHostBuilder builder)
            {
                Interlocked.Increment(ref configured);
                builder.ConfigureWebHost(web => web.UseTestServer());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            subscription.Dispose();
            Current.Value = null;
        }
    }
}
