package org.fieldops.api.security;

import java.util.List;

/**
 * A new account as the caller sends it; validated by {@link UserService#create}.
 *
 * @param roles role ids, e.g. {@code ["dispatcher"]}
 * @param disabled {@code null} means false
 */
public record UserDraft(String username, String password, List<String> roles, Boolean disabled) {}
