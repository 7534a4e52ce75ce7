using System.Globalization;
using System.Text.Json;

namespace EvGateway.Tests.TestSupport;

/// <summary>A day-ahead price file in Octopus Agile JSON: consecutive half hours from a start, for Tariff:Url.</summary>
internal static class AgilePrices
{
    /// <summary>Writes the file; <paramref name="newestFirst"/> lists the periods in the order the real feed does.</summary>
    public static Task WriteAsync(string path, DateTimeOffset start, IEnumerable<double> prices, bool newestFirst = false)
    {
        var results = prices.Select((price, i) => new Dictionary<string, object>
        {
            ["value_inc_vat"] = price,
            ["valid_from"] = Utc(start.AddMinutes(30 * i)),
            ["valid_to"] = Utc(start.AddMinutes(30 * (i + 1))),
        });
        return File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { results = newestFirst ? results.Reverse() : results }),
            TestContext.Current.CancellationToken);
    }

    private static string Utc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
