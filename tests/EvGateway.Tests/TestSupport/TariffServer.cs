using EvGateway.Simulator.Tariff;

namespace EvGateway.Tests.TestSupport;

/// <summary>The simulated tariff feed on its own loopback port, as the cloud simulator serves it, with a page size of the test's choosing.</summary>
internal sealed class TariffServer : IAsyncDisposable
{
    private readonly LoopbackServer server;

    private TariffServer(LoopbackServer server, TariffFeed feed)
    {
        this.server = server;
        Feed = feed;
        Url = TariffFeed.UrlFor(server.Url);
    }

    public TariffFeed Feed { get; }
    public Uri Url { get; }

    public static async Task<TariffServer> StartAsync(TimeProvider time, int pageSize = 48)
    {
        var feed = new TariffFeed(time) { PageSize = pageSize };
        return new TariffServer(await LoopbackServer.StartAsync(app => app.MapTariff(feed)), feed);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
