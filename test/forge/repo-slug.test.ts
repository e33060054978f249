import { describe, expect, it } from 'vitest';
import { ForgeError } from '../../src/forge/errors.js';
import { gitHubApiUrl, parseRepoSlug } from '../../src/forge/repo-slug.js';

describe('parseRepoSlug', () => {
  it.each([
    ['https://github.com/acme/app', 'github.com'],
    ['https://github.com/acme/app.git', 'github.com'],
    ['https://github.com/acme/app/', 'github.com'],
    ['git@github.com:acme/app.git', 'github.com'],
    ['git@github.com:acme/app', 'github.com'],
    ['ssh://git@github.com/acme/app.git', 'github.com'],
    ['ssh://git@ghe.example.com:2222/acme/app.git', 'ghe.example.com'],
    ['https://ghe.example.com/acme/app.git', 'ghe.example.com'],
    ['https://ghe.example.com:8443/acme/app.git', 'ghe.example.com:8443'],
  ])('reads %s', (url, host) => {
    expect(parseRepoSlug(url)).toEqual({ host, owner: 'acme', repo: 'app' });
  });

  it('keeps dots, dashes and underscores of repository names', () => {
    expect(parseRepoSlug('https://github.com/my-org/my.app_v2.git')).toEqual({
      host: 'github.com',
      owner: 'my-org',
      repo: 'my.app_v2',
    });
  });

  it.each([
    '/srv/git/app.git',
    'file:///srv/git/app.git',
    'git://github.com/acme/app.git',
    'https://gitlab.com/group/subgroup/app.git',
    'https://github.com/acme',
    'https://github.com/acme/app/tree/main',
    'https://github.com/-acme/app',
    'https://github.com/acme/..',
  ])('refuses %s, pointing at publish mode branch', (url) => {
    expect(() => parseRepoSlug(url)).toThrow(ForgeError);
    expect(() => parseRepoSlug(url)).toThrow(
      `cannot open a pull request for ${url}: not a GitHub repository URL; use publish mode branch`,
    );
  });
});

describe('gitHubApiUrl', () => {
  it('is api.github.com for github.com and /api/v3 on an Enterprise host', () => {
    expect(gitHubApiUrl('github.com')).toBe('https://api.github.com');
    expect(gitHubApiUrl('ghe.example.com')).toBe('https://ghe.example.com/api/v3');
  });
});
