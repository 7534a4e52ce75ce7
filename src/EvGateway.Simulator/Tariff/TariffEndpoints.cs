using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Tariff;

public static class TariffEndpoints
{
    /// <summary>
    /// Serves <paramref name="feed"/> at <see cref="TariffFeed.RatesPath"/> in the Agile JSON shape:
    /// <c>{"count","next","previous","results":[{"value_exc_vat","value_inc_vat","valid_from","valid_to","payment_method"}]}</c>,
    /// newest first, <c>?page=N</c> pages with absolute `next`/`previous` links.
    /// </summary>
    public static IEndpointRouteBuilder MapTariff(this IEndpointRouteBuilder endpoints, TariffFeed feed)
    {
        endpoints.MapGet(TariffFeed.RatesPath, (HttpRequest request, int? page) =>
        {
            var rates = feed.Published();
            var number = Math.Max(1, page ?? 1);
            var pages = Math.Max(1, (rates.Count + feed.PageSize - 1) / feed.PageSize);
            if (number > pages)
            {
                return Results.Json(new Dictionary<string, string> { ["detail"] = "Invalid page." }, statusCode: 404);
            }

            var self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
            return Results.Json(new Dictionary<string, object?>
            {
                ["count"] = rates.Count,
                ["next"] = number < pages ? $"{self}?page={number + 1}" : null,
                ["previous"] = number > 1 ? $"{self}?page={number - 1}" : null,
                ["results"] = rates.Skip((number - 1) * feed.PageSize).Take(feed.PageSize).Select(r => new Dictionary<string, object?>
                {
                    ["value_exc_vat"] = Math.Round(r.ValueIncVat / 1.05, 4),
                    ["value_inc_vat"] = r.ValueIncVat,
                    ["valid_from"] = Utc(r.ValidFrom),
                    ["valid_to"] = Utc(r.ValidTo),
                    ["payment_method"] = null,
                }),
            });
        });
        return endpoints;
    }

    private static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
