using System.Net;
using System.Text.RegularExpressions;

namespace EvGateway.Tests.Web;

/// <summary>The dashboard's HTML as the server sent it, cut into one piece per car (the articles are never nested).</summary>
internal sealed partial class DashboardHtml(string html)
{
    public string Html { get; } = html;

    public static async Task<DashboardHtml> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new DashboardHtml(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The VINs of the cars shown, in page order.</summary>
    public IReadOnlyList<string> Vins => CarArticle().Matches(Html).Select(m => m.Groups["vin"].Value).ToList();

    /// <summary>The HTML of one car's card; fails the test when the car is not on the page.</summary>
    public string Car(string vin) =>
        CarArticle().Matches(Html).SingleOrDefault(m => m.Groups["vin"].Value == vin)?.Value ?? throw new Xunit.Sdk.XunitException($"{vin} is not on the page");

    public static int Count(string html, string fragment) => Regex.Count(html, Regex.Escape(fragment));

    [GeneratedRegex("""<article class="car" data-vin="(?<vin>[^"]+)">.*?</article>""", RegexOptions.Singleline)]
    private static partial Regex CarArticle();
}
