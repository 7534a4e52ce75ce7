using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// The simulated Gigya's inbox as a page: in demo mode nobody receives the e-mailed code, so a person reads it here
/// and types it where the real one would go.
/// </summary>
internal static class SimulatedEmailsPage
{
    public const string Path = "/simulator/renault/emails";

    public static void Map(IEndpointRouteBuilder endpoints, RenaultCloud cloud) =>
        endpoints.MapGet(Path, () => Results.Content(Render(cloud.SentEmails()), "text/html; charset=utf-8"));

    private static string Render(IReadOnlyList<SimulatedEmail> emails)
    {
        var page = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>SIMULATED MyRenault e-mails</title>
            <style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}code{font-size:1.4em}</style></head>
            <body><h1>SIMULATED MyRenault e-mails</h1>
            <p>No e-mail was sent: the simulated Renault cloud lists here the verification codes it would have e-mailed. Newest first.</p>
            """);
        if (emails.Count == 0)
        {
            page.Append("<p>No code has been sent yet.</p>");
        }
        else
        {
            page.Append("<table><tr><th>Sent (UTC)</th><th>To</th><th>Code</th><th>Language</th></tr>");
            foreach (var email in emails.Reverse())
            {
                page.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{email.SentAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{WebUtility.HtmlEncode(email.To)}</td><td><code>{email.Code}</code></td><td>{WebUtility.HtmlEncode(email.Language ?? "")}</td></tr>");
            }

            page.Append("</table>");
        }

        return page.Append("</body></html>").ToString();
    }
}
