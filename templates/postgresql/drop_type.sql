DROP TYPE {{ name }}
