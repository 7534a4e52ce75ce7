using System.Net;
using System.Text.RegularExpressions;
using EvGateway.Simulator.Psa;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// Plays the owner's desktop browser on the brand's login page, over real HTTP: opens the page, fills the form like a
/// person would (the hidden fields as the page gave them), and never follows the app redirect, which a desktop browser
/// cannot open either: its address is what the owner copies.
/// </summary>
internal sealed partial class PsaOwnerBrowser : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public async Task<PsaLoginForm> OpenAsync(Uri authorizeUrl)
    {
        using var response = await http.GetAsync(authorizeUrl, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new PsaLoginForm(authorizeUrl, response.StatusCode, html, response.Headers.Location?.OriginalString);
    }

    /// <summary>Posts the form back to the page's own address, as a form without an action does.</summary>
    public async Task<PsaLoginForm> SubmitAsync(PsaLoginForm form, string email, string password)
    {
        var fields = new Dictionary<string, string>(form.HiddenFields) { ["email"] = email, ["password"] = password };
        using var response = await http.PostAsync(form.Address, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new PsaLoginForm(form.Address, response.StatusCode, html, response.Headers.Location?.OriginalString);
    }

    /// <summary>Logs the demo owner in and returns the app address the page ended on.</summary>
    public async Task<string> LogInAsync(Uri authorizeUrl)
    {
        var page = await OpenAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var done = await SubmitAsync(page, PsaCloud.DemoOwnerEmail, PsaCloud.DemoOwnerPassword);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        return done.Location!;
    }

    /// <summary>The query of an app address such as mymap://oauth2redirect/fr?code=..&amp;state=..</summary>
    public static Dictionary<string, StringValues> QueryOf(string appAddress) =>
        QueryHelpers.ParseQuery(appAddress[appAddress.IndexOf('?', StringComparison.Ordinal)..]);

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    internal static partial Regex HiddenField();
}

/// <summary>What the browser got back: a page (the form, maybe with an error) or a redirect.</summary>
internal sealed record PsaLoginForm(Uri Address, HttpStatusCode Status, string Html, string? Location)
{
    public IReadOnlyDictionary<string, string> HiddenFields { get; } = PsaOwnerBrowser.HiddenField().Matches(Html)
        .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    public bool HasLoginForm => Html.Contains("name=\"password\"", StringComparison.Ordinal);
}
