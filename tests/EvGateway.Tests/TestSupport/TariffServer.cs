using EvGateway.Simulator.Tariff;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace EvGateway.Tests.TestSupport;

/// <summary>The simulated tariff feed on its own loopback port, as the cloud simulator serves it.</summary>
internal sealed class TariffServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TariffServer(WebApplication app, TariffFeed feed, Uri url)
    {
        this.app = app;
        Feed = feed;
        Url = url;
    }

    public TariffFeed Feed { get; }
    public Uri Url { get; }

    public static async Task<TariffServer> StartAsync(TimeProvider time, int pageSize = 48)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var feed = new TariffFeed(time) { PageSize = pageSize };
        app.MapTariff(feed);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TariffServer(app, feed, TariffFeed.UrlFor(new Uri(app.Urls.First() + "/")));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
