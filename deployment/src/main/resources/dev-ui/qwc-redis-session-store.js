import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { sessionClient } from 'build-time-data';
import '@vaadin/text-field';
import '@vaadin/button';

/**
 * The Redis session store's Dev UI page: where the sessions live, how their keys are built and the tenants found
 * (RedisSessionJsonRpcService#getInfo), and the session count of a tenant the developer types (#countSessions).
 */
export class QwcRedisSessionStore extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .store {
            display: flex;
            flex-direction: column;
            gap: 1em;
            padding: 1em;
        }
        table {
            border-collapse: collapse;
        }
        td {
            padding: 0.25em 1em 0.25em 0;
            vertical-align: top;
        }
        td:first-child {
            color: var(--lumo-contrast-70pct);
        }
        .count {
            display: flex;
            align-items: baseline;
            gap: 0.5em;
        }
        .error {
            color: var(--lumo-error-text-color);
        }
    `;

    static properties = {
        _info: { state: true },
        _infoError: { state: true },
        _tenant: { state: true },
        _counting: { state: true },
        _count: { state: true }
    };

    constructor() {
        super();
        this._tenant = '';
        this._counting = false;
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getInfo()
            .then(response => {
                this._info = response.result;
                if (this._tenant === '') {
                    this._tenant = this._info.defaultTenant;
                }
            })
            .catch(response => this._infoError = response.error?.message ?? String(response));
    }

    render() {
        if (this._infoError) {
            return html`<div class="store error">Could not read the session store's settings: ${this._infoError}</div>`;
        }
        if (!this._info) {
            return html`<div class="store">Loading the session store's settings...</div>`;
        }
        return html`
            <div class="store">
                ${this._renderInfo()}
                ${this._renderCount()}
            </div>`;
    }

    _renderInfo() {
        const info = this._info;
        return html`
            <table>
                <tr><td>Redis address</td><td><code>${info.address}</code>${info.cluster ? ' (Redis Cluster)' : ''}</td></tr>
                <tr><td>Redis client</td><td><code>${sessionClient}</code></td></tr>
                <tr><td>Key prefix</td><td><code>${info.keyPrefix}</code>
                    (keys <code>${info.keyPrefix}{tenant}:{session id}</code>)</td></tr>
                <tr><td>Tenant strategy</td><td>${this._renderStrategy(info)}</td></tr>
                <tr><td>Default tenant</td><td><code>${info.defaultTenant}</code></td></tr>
            </table>`;
    }

    _renderStrategy(info) {
        switch (info.tenantStrategy) {
            case 'header':
                return html`<code>header</code>: the <code>${info.tenantHeader}</code> request header`;
            case 'host':
                return info.hostSuffixes.length === 0
                    ? html`<code>host</code>: the first label of the Host name`
                    : html`<code>host</code>: <code>{tenant}.</code> one of ${info.hostSuffixes.join(', ')}`;
            case 'custom':
                return html`the application's TenantResolver <code>${info.tenantResolver}</code>`;
            default:
                return html`<code>fixed</code>: every session belongs to the default tenant`;
        }
    }

    _renderCount() {
        return html`
            <div class="count">
                <vaadin-text-field label="Tenant id" .value="${this._tenant}"
                    @value-changed="${e => this._tenant = e.detail.value}"
                    @keydown="${e => e.key === 'Enter' && this._countSessions()}"></vaadin-text-field>
                <vaadin-button ?disabled="${this._counting}" @click="${this._countSessions}">Count sessions</vaadin-button>
                ${this._renderCountResult()}
            </div>`;
    }

    _renderCountResult() {
        if (this._counting) {
            return html`<span>Counting (SCAN)...</span>`;
        }
        if (!this._count) {
            return html``;
        }
        if (this._count.error) {
            return html`<span class="error">${this._count.error}</span>`;
        }
        return html`<span>Tenant <code>${this._count.tenant}</code>: <b>${this._count.sessions}</b> session(s)</span>`;
    }

    _countSessions() {
        this._counting = true;
        this.jsonRpc.countSessions({ tenant: this._tenant })
            .then(response => this._count = response.result)
            .catch(response => this._count = { error: response.error?.message ?? String(response) })
            .finally(() => this._counting = false);
    }
}
customElements.define('qwc-redis-session-store', QwcRedisSessionStore);
