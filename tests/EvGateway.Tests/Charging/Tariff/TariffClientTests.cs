using EvGateway.Charging.Tariff;
using EvGateway.Simulator.Tariff;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Charging.Tariff;

public sealed class TariffClientTests : IAsyncDisposable
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T17:00:00Z"));
    private readonly TemporaryDirectory data = new();
    private readonly List<GatewayServices> gateways = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in gateways)
        {
            await gateway.DisposeAsync();
        }

        data.Dispose();
    }

    // The gateway's own client, with Tariff:Url set to the feed under test.
    private TariffClient Client(string url)
    {
        var gateway = GatewayServices.Compose(settings: new Dictionary<string, string?> { ["Tariff:Url"] = url }, time: time, dataDirectory: data.Path);
        gateways.Add(gateway);
        return gateway.Get<TariffClient>();
    }

    [Fact]
    public async Task Every_page_of_the_newest_first_feed_is_read_and_returned_in_time_order()
    {
        await using var server = await TariffServer.StartAsync(time, pageSize: 20);
        var published = server.Feed.Published();

        var prices = await Client(server.Url.ToString()).GetPricesAsync(TestContext.Current.CancellationToken);

        Assert.True(published.Count > 20 * 3, "the feed must span several pages for this test to mean anything");
        Assert.Equal(published.Count, prices.Count);
        Assert.Equal(published.OrderBy(r => r.ValidFrom).Select(r => (r.ValidFrom, r.ValueIncVat)), prices.Select(p => (p.Start, p.PricePerKwh)));
    }

    [Fact]
    public async Task After_four_pm_uk_time_the_feed_also_has_tomorrows_prices()
    {
        var afternoon = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z"));
        var feed = new TariffFeed(afternoon);
        var beforeFour = feed.Published()[0].ValidTo;
        afternoon.Advance(TimeSpan.FromHours(1.5));

        var afterFour = feed.Published()[0].ValidTo;

        Assert.Equal(DateTimeOffset.Parse("2026-11-25T23:00:00Z"), beforeFour);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T23:00:00Z"), afterFour);
    }

    [Fact]
    public async Task A_local_file_in_any_order_is_read()
    {
        var path = data.File("agile.json");
        await File.WriteAllTextAsync(path, """
            {"results":[
              {"value_inc_vat":20.5,"valid_from":"2026-11-26T00:00:00Z","valid_to":"2026-11-26T00:30:00Z"},
              {"value_inc_vat":14.7,"valid_from":"2026-11-25T23:00:00Z","valid_to":"2026-11-25T23:30:00Z"},
              {"value_inc_vat":9.1,"valid_from":"2026-11-25T23:30:00Z","valid_to":"2026-11-26T00:00:00Z"}
            ]}
            """, TestContext.Current.CancellationToken);

        var prices = await Client(path).GetPricesAsync(TestContext.Current.CancellationToken);

        Assert.Equal([14.7, 9.1, 20.5], prices.Select(p => p.PricePerKwh));
    }

    [Fact]
    public async Task Prices_are_reused_until_the_refresh_interval_passes()
    {
        await using var server = await TariffServer.StartAsync(time);
        var client = Client(server.Url.ToString());
        var first = await client.GetPricesAsync(TestContext.Current.CancellationToken);
        server.Feed.Pin([new TariffRate(DateTimeOffset.Parse("2026-11-25T23:00:00Z"), DateTimeOffset.Parse("2026-11-25T23:30:00Z"), 1)]);

        var cached = await client.GetPricesAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(31));
        var refreshed = await client.GetPricesAsync(TestContext.Current.CancellationToken);

        Assert.Same(first, cached);
        Assert.Single(refreshed);
    }

    [Fact]
    public async Task An_unreachable_feed_is_an_upstream_error_not_a_crash()
    {
        var failure = await Assert.ThrowsAsync<EvGateway.Vehicles.GatewayException>(() =>
            Client(data.File("missing.json")).GetPricesAsync(TestContext.Current.CancellationToken));

        Assert.Equal(EvGateway.Vehicles.ErrorCodes.UpstreamUnavailable, failure.Code);
    }
}
