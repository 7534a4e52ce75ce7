using System.Diagnostics;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>An open event stream (a dashboard left open in a browser) and the gateway stopping.</summary>
public class EventStreamShutdownTests
{
    [Fact]
    public async Task An_open_event_stream_ends_when_the_gateway_stops_instead_of_holding_up_its_shutdown()
    {
        var app = await GatewayApp.StartAsync(overSockets: true);
        await using var stream = await EventStream.OpenAsync(app.Client, "/api/events", TestContext.Current.CancellationToken);
        var read = stream.NextLineAsync(TestContext.Current.CancellationToken);

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();

        // The host's default grace period is 30 s; a stream that ignored the shutdown would use all of it.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => read);
    }
}
