#!/usr/bin/python
# Will change this later.
SUPER_SECRET_VALUE = 'c3VwZXIgbG9uZyBzdHJpbmcgc2hvdWxkIGNhdXNlIGVub3VnaCBlbnRyb3B5'


def main():
    print('Hello world!')


if __name__ == '__main__':
    main()
