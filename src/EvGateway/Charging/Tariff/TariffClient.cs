using System.Text.Json;
using System.Text.Json.Serialization;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Tariff;

/// <summary>
/// Reads day-ahead prices in the Octopus Agile shape (<c>{"results":[{"value_inc_vat","valid_from","valid_to"}],"next"}</c>)
/// from a URL or a file. The real feed lists the newest slot first and pages with `next`: any order is accepted,
/// every page is followed, and duplicates are dropped. Prices are kept for a while, they change once a day.
/// </summary>
public sealed class TariffClient(IHttpClientFactory http, IOptions<TariffOptions> options, TimeProvider time, ILogger<TariffClient> logger)
{
    public const string NotConfigured = "tariff_not_configured";
    private const int MaxPages = 50;
    private readonly SemaphoreSlim fetching = new(1, 1);
    private volatile Cached? cached;

    /// <summary>Every known slot in time order.</summary>
    public async Task<IReadOnlyList<PriceSlot>> GetPricesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new GatewayException(NotConfigured, 501, "Smart charging needs a price feed: set Tariff:Url.");
        }

        var now = time.GetUtcNow();
        if (cached is { } fresh && now - fresh.FetchedAt < TimeSpan.FromMinutes(settings.RefreshMinutes))
        {
            return fresh.Slots;
        }

        await fetching.WaitAsync(cancellationToken);
        try
        {
            var slots = await FetchAllPagesAsync(settings.Source(), cancellationToken);
            cached = new Cached(slots, now);
            return slots;
        }
        finally
        {
            fetching.Release();
        }
    }

    private async Task<IReadOnlyList<PriceSlot>> FetchAllPagesAsync(Uri first, CancellationToken cancellationToken)
    {
        var byStart = new SortedDictionary<DateTimeOffset, PriceSlot>();
        var seen = new HashSet<Uri>();
        for (var page = first; page is not null && seen.Add(page);)
        {
            if (seen.Count > MaxPages)
            {
                logger.LogWarning("The price feed has more than {Pages} pages; reading stops there", MaxPages);
                break;
            }

            var body = await ReadPageAsync(page, cancellationToken);
            foreach (var rate in body.Results ?? [])
            {
                if (rate is { ValidFrom: { } from, ValidTo: { } to, ValueIncVat: { } price } && to > from)
                {
                    byStart[from] = new PriceSlot(from, to, price);
                }
            }

            page = string.IsNullOrWhiteSpace(body.Next) ? null : new Uri(page, body.Next);
        }

        return byStart.Values.ToList();
    }

    private async Task<AgilePage> ReadPageAsync(Uri page, CancellationToken cancellationToken)
    {
        try
        {
            var json = page.IsFile
                ? await File.ReadAllTextAsync(page.LocalPath, cancellationToken)
                : await http.CreateClient(nameof(TariffClient)).GetStringAsync(page, cancellationToken);
            return JsonSerializer.Deserialize<AgilePage>(json) ?? new AgilePage();
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException or JsonException or TaskCanceledException
                                            && !cancellationToken.IsCancellationRequested)
        {
            throw GatewayException.Unavailable("tariff", $"the price feed could not be read ({failure.GetType().Name})", failure);
        }
    }

    private sealed record Cached(IReadOnlyList<PriceSlot> Slots, DateTimeOffset FetchedAt);

    private sealed class AgilePage
    {
        [JsonPropertyName("next")]
        public string? Next { get; set; }

        [JsonPropertyName("results")]
        public List<AgileRate>? Results { get; set; }
    }

    private sealed class AgileRate
    {
        [JsonPropertyName("value_inc_vat")]
        public double? ValueIncVat { get; set; }

        [JsonPropertyName("valid_from")]
        public DateTimeOffset? ValidFrom { get; set; }

        [JsonPropertyName("valid_to")]
        public DateTimeOffset? ValidTo { get; set; }
    }
}
