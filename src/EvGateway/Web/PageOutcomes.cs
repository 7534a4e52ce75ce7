using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EvGateway.Web;

/// <summary>
/// What a form post did, shown once on the page it redirects to (post, redirect, get: a reload never sends the form
/// again). The outcome stays in memory for a few minutes under a random id that a cookie carries; nothing of it travels
/// in the cookie, so a forged cookie can show nothing the gateway did not say.
/// </summary>
public sealed class PageOutcomes(TimeProvider time)
{
    private const string Cookie = "evgw-outcome";
    private const int MaxKept = 256;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (object Outcome, DateTimeOffset Until)> kept = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="outcome"/> for the next page this browser opens.</summary>
    public void Keep(HttpContext context, object outcome)
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in kept)
        {
            if (entry.Until <= now || kept.Count > MaxKept)
            {
                kept.TryRemove(id, out _);
            }
        }

        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        kept[key] = (outcome, now + Lifetime);
        context.Response.Cookies.Append(Cookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The outcome kept for this browser, once: taking it forgets it.</summary>
    public T? Take<T>(HttpContext context) where T : class
    {
        if (!context.Request.Cookies.TryGetValue(Cookie, out var key))
        {
            return null;
        }

        context.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
        return kept.TryRemove(key, out var entry) && entry.Until > time.GetUtcNow() ? entry.Outcome as T : null;
    }
}
